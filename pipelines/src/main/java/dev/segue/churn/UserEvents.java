package dev.segue.churn;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * All events of one user shard, columnar: users in ascending order, each user's events contiguous and sorted
 * by date (stable, so same-day events keep their arrival order). Built once per shard from the parsed blocks;
 * every cleaning statistic and feature is then a tight loop over these arrays.
 */
public final class UserEvents implements Serializable {
    private static final long serialVersionUID = 1L;

    final String[] users;
    final int[] offsets;
    final byte[] kind;
    final String[] devices;
    final int[] device;
    final String[] songs;
    final int[] song;
    final int[] date;
    final double[] playTime;
    final double[] songLength;

    private UserEvents(String[] users, int[] offsets, byte[] kind, String[] devices, int[] device, String[] songs,
                       int[] song, int[] date, double[] playTime, double[] songLength) {
        this.users = users;
        this.offsets = offsets;
        this.kind = kind;
        this.devices = devices;
        this.device = device;
        this.songs = songs;
        this.song = song;
        this.date = date;
        this.playTime = playTime;
        this.songLength = songLength;
    }

    public static UserEvents assemble(Iterable<EventBlock> blocks) {
        Map<String, Integer> userIds = new HashMap<>();
        Map<String, Integer> deviceIds = new HashMap<>();
        Map<String, Integer> songIds = new HashMap<>();
        List<String> userNames = new ArrayList<>();
        List<EventBlock> list = new ArrayList<>();
        List<int[]> userMaps = new ArrayList<>();
        List<int[]> deviceMaps = new ArrayList<>();
        List<int[]> songMaps = new ArrayList<>();
        int[] counts = new int[16];
        int total = 0;
        for (EventBlock b : blocks) {
            list.add(b);
            int[] um = new int[b.users.length];
            for (int i = 0; i < um.length; i++) {
                String name = b.users[i];
                Integer id = userIds.get(name);
                if (id == null) {
                    id = userNames.size();
                    userIds.put(name, id);
                    userNames.add(name);
                }
                um[i] = id;
            }
            userMaps.add(um);
            deviceMaps.add(remap(b.devices, deviceIds));
            songMaps.add(remap(b.songs, songIds));
            if (userNames.size() > counts.length) {
                counts = Arrays.copyOf(counts, Math.max(userNames.size(), counts.length * 2));
            }
            for (int e = 0; e < b.size; e++) {
                counts[um[b.user[e]]]++;
            }
            total += b.size;
        }
        int nu = userNames.size();
        Integer[] order = new Integer[nu];
        for (int i = 0; i < nu; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> userNames.get(a).compareTo(userNames.get(b)));
        String[] users = new String[nu];
        int[] rank = new int[nu];
        int[] offsets = new int[nu + 1];
        for (int r = 0; r < nu; r++) {
            users[r] = userNames.get(order[r]);
            rank[order[r]] = r;
            offsets[r + 1] = offsets[r] + counts[order[r]];
        }
        int[] cursor = Arrays.copyOf(offsets, nu);
        byte[] kind = new byte[total];
        int[] device = new int[total];
        int[] song = new int[total];
        int[] date = new int[total];
        double[] pt = new double[total];
        double[] sl = new double[total];
        for (int bi = 0; bi < list.size(); bi++) {
            EventBlock b = list.get(bi);
            int[] um = userMaps.get(bi);
            int[] dm = deviceMaps.get(bi);
            int[] sm = songMaps.get(bi);
            for (int e = 0; e < b.size; e++) {
                int p = cursor[rank[um[b.user[e]]]]++;
                kind[p] = b.kind[e];
                device[p] = b.device[e] < 0 ? -1 : dm[b.device[e]];
                song[p] = b.song[e] < 0 ? -1 : sm[b.song[e]];
                date[p] = b.date[e];
                pt[p] = b.playTime[e];
                sl[p] = b.songLength[e];
            }
        }
        UserEvents ev = new UserEvents(users, offsets, kind, invert(deviceIds), device, invert(songIds), song, date,
                pt, sl);
        ev.sortEachUserByDate();
        return ev;
    }

    private static int[] remap(String[] local, Map<String, Integer> global) {
        int[] m = new int[local.length];
        for (int i = 0; i < local.length; i++) {
            m[i] = global.computeIfAbsent(local[i], x -> global.size());
        }
        return m;
    }

    private static String[] invert(Map<String, Integer> dict) {
        String[] out = new String[dict.size()];
        dict.forEach((k, v) -> out[v] = k);
        return out;
    }

    private void sortEachUserByDate() {
        long[] keys = new long[0];
        for (int u = 0; u < users.length; u++) {
            int from = offsets[u];
            int to = offsets[u + 1];
            boolean sorted = true;
            for (int e = from + 1; e < to && sorted; e++) {
                sorted = date[e - 1] <= date[e];
            }
            if (sorted) {
                continue;
            }
            int n = to - from;
            if (keys.length < n) {
                keys = new long[Math.max(n, keys.length * 2)];
            }
            for (int e = 0; e < n; e++) {
                keys[e] = ((long) date[from + e] << 32) | e;
            }
            Arrays.sort(keys, 0, n);
            byte[] k2 = new byte[n];
            int[] d2 = new int[n];
            int[] s2 = new int[n];
            int[] t2 = new int[n];
            double[] p2 = new double[n];
            double[] l2 = new double[n];
            for (int e = 0; e < n; e++) {
                int src = from + (int) (keys[e] & 0xffffffffL);
                k2[e] = kind[src];
                d2[e] = device[src];
                s2[e] = song[src];
                t2[e] = date[src];
                p2[e] = playTime[src];
                l2[e] = songLength[src];
            }
            System.arraycopy(k2, 0, kind, from, n);
            System.arraycopy(d2, 0, device, from, n);
            System.arraycopy(s2, 0, song, from, n);
            System.arraycopy(t2, 0, date, from, n);
            System.arraycopy(p2, 0, playTime, from, n);
            System.arraycopy(l2, 0, songLength, from, n);
        }
    }

    public int userCount() {
        return users.length;
    }

    public int eventCount() {
        return date.length;
    }

    public String user(int u) {
        return users[u];
    }

    public int from(int u) {
        return offsets[u];
    }

    public int to(int u) {
        return offsets[u + 1];
    }

    /** First event index in [from, to) whose date is at least {@code day} (to when none). */
    public int firstOnOrAfter(int from, int to, int day) {
        int lo = from;
        int hi = to;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (date[mid] < day) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
