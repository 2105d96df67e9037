package dev.segue.pipelines.coders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class BinaryArraysTest {
    private static byte[] encode(String[] v) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = BinaryArrays.data(bytes);
        BinaryArrays.writeStrings(out, v);
        out.writeInt(0x5e6e); // a field after the column: reading must stop exactly at the column's end
        out.flush();
        return bytes.toByteArray();
    }

    private static String[] decode(byte[] encoded) throws IOException {
        DataInputStream in = BinaryArrays.data(new ByteArrayInputStream(encoded));
        String[] v = BinaryArrays.readStrings(in);
        assertEquals(0x5e6e, in.readInt(), "the next field follows the string column");
        assertEquals(-1, in.read(), "nothing left over");
        return v;
    }

    @Test
    void stringColumnsRoundTripWithNullsEmptiesAndMultiByteText() throws IOException {
        String[] v = {"spotify:track:1", null, "", "Beyoncé", "東京", "🎧 mix", null};
        assertArrayEquals(v, decode(encode(v)));
        assertArrayEquals(new String[0], decode(encode(new String[0])));
        assertNull(decode(encode(null)));
        String[] onlyNulls = {null, null};
        assertArrayEquals(onlyNulls, decode(encode(onlyNulls)));
    }

    @Test
    void columnsLargerThanOneChunkRoundTrip() throws IOException {
        // Long strings that straddle the writer's 128 KiB block boundaries, and many short ones.
        String[] v = new String[3000];
        for (int i = 0; i < v.length; i++) {
            v[i] = i % 500 == 0 ? "x".repeat(70_000 + i) : "track name " + i + " é";
        }
        assertArrayEquals(v, decode(encode(v)));
    }
}
