package dev.segue.churn;

import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A columnar block of parsed log events (one element of the pipeline holds thousands of events, so the
 * DirectRunner's per-element cost does not dominate). Users, devices and songs are dictionary-encoded per
 * block. Play time and song length are NaN when missing and for downloads and searches.
 */
public final class EventBlock implements Serializable {
    private static final long serialVersionUID = 1L;

    final int size;
    final String[] users;
    final int[] user;
    final byte[] kind;
    final String[] devices;
    final int[] device;
    final String[] songs;
    final int[] song;
    final int[] date;
    final double[] playTime;
    final double[] songLength;

    private EventBlock(Builder b) {
        size = b.size;
        users = b.users.keySet().toArray(new String[0]);
        for (Map.Entry<String, Integer> e : b.users.entrySet()) {
            users[e.getValue()] = e.getKey();
        }
        devices = invert(b.devices);
        songs = invert(b.songs);
        user = Arrays.copyOf(b.user, size);
        kind = Arrays.copyOf(b.kind, size);
        device = Arrays.copyOf(b.device, size);
        song = Arrays.copyOf(b.song, size);
        date = Arrays.copyOf(b.date, size);
        playTime = Arrays.copyOf(b.playTime, size);
        songLength = Arrays.copyOf(b.songLength, size);
    }

    EventBlock(int size, String[] users, int[] user, byte[] kind, String[] devices, int[] device, String[] songs,
               int[] song, int[] date, double[] playTime, double[] songLength) {
        this.size = size;
        this.users = users;
        this.user = user;
        this.kind = kind;
        this.devices = devices;
        this.device = device;
        this.songs = songs;
        this.song = song;
        this.date = date;
        this.playTime = playTime;
        this.songLength = songLength;
    }

    private static String[] invert(Map<String, Integer> dict) {
        String[] out = new String[dict.size()];
        for (Map.Entry<String, Integer> e : dict.entrySet()) {
            out[e.getValue()] = e.getKey();
        }
        return out;
    }

    public int size() {
        return size;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Appends events; {@link #build()} copies, so a builder can be reused after {@link #clear()}. */
    public static final class Builder {
        private final Map<String, Integer> users = new HashMap<>();
        private final Map<String, Integer> devices = new HashMap<>();
        private final Map<String, Integer> songs = new HashMap<>();
        private int size;
        private int[] user = new int[256];
        private byte[] kind = new byte[256];
        private int[] device = new int[256];
        private int[] song = new int[256];
        private int[] date = new int[256];
        private double[] playTime = new double[256];
        private double[] songLength = new double[256];

        /** device and songId may be null (missing). */
        public Builder add(String uid, LogKind k, String dev, String songId, int day, double pt, double sl) {
            if (size == user.length) {
                int n = size * 2;
                user = Arrays.copyOf(user, n);
                kind = Arrays.copyOf(kind, n);
                device = Arrays.copyOf(device, n);
                song = Arrays.copyOf(song, n);
                date = Arrays.copyOf(date, n);
                playTime = Arrays.copyOf(playTime, n);
                songLength = Arrays.copyOf(songLength, n);
            }
            user[size] = users.computeIfAbsent(uid, x -> users.size());
            kind[size] = k.index();
            device[size] = dev == null ? -1 : devices.computeIfAbsent(dev, x -> devices.size());
            song[size] = songId == null ? -1 : songs.computeIfAbsent(songId, x -> songs.size());
            date[size] = day;
            playTime[size] = pt;
            songLength[size] = sl;
            size++;
            return this;
        }

        public int size() {
            return size;
        }

        public EventBlock build() {
            return new EventBlock(this);
        }

        public void clear() {
            size = 0;
            users.clear();
            devices.clear();
            songs.clear();
        }
    }
}
