package dev.segue.churn;

import java.util.List;

/**
 * The three music-box logs of study 003, told apart by their header (file names are free):
 * play {@code uid, device, song_id, song_type, song_name, singer, play_time, song_length, paid_flag, date},
 * download {@code uid, device, song_id, song_name, singer, paid_flag, date},
 * search {@code uid, device, time_stamp, search_query, date}.
 */
public enum LogKind {
    PLAY('P', List.of("uid", "device", "song_id", "play_time", "song_length", "date")),
    DOWNLOAD('D', List.of("uid", "device", "song_id", "date")),
    SEARCH('S', List.of("uid", "device", "date"));

    private final char code;
    private final List<String> required;

    LogKind(char code, List<String> required) {
        this.code = code;
        this.required = required;
    }

    /** P, D or S as in the study's {@code event} column. */
    public char code() {
        return code;
    }

    public byte index() {
        return (byte) ordinal();
    }

    public List<String> required() {
        return required;
    }

    /** The kind whose columns the header has, or null when it is none of the three. */
    public static LogKind detect(List<String> header) {
        if (header.contains("play_time") || header.contains("song_length")) {
            return PLAY;
        }
        if (header.contains("search_query") || header.contains("time_stamp")) {
            return SEARCH;
        }
        if (header.contains("song_id")) {
            return DOWNLOAD;
        }
        return null;
    }
}
