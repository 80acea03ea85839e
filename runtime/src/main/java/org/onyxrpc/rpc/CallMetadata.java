package org.onyxrpc.rpc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.onyxrpc.xdr.XdrException;
import org.onyxrpc.xdr.XdrReader;
import org.onyxrpc.xdr.XdrWriter;

/**
 * A few text entries that travel with a call, such as a W3C {@code traceparent}: ONC RPC has no
 * headers, so an Onyx client puts them in its call tag (the body of the call's AUTH_NONE
 * verifier), and only for servers that have shown they read them. Everyone else never sees them:
 * a C server, or an older Onyx server, receives the call without metadata.
 *
 * <p>Small by design, since a verifier body holds at most 400 bytes (RFC 5531 §8.2): at most
 * {@value #MAX_ENTRIES} entries of {@value #MAX_BYTES} encoded bytes in all; keys of 1 to
 * {@value #MAX_KEY_CHARS} lower-case ASCII letters, digits, {@code -}, {@code _} or {@code .};
 * values of printable ASCII, at most {@value #MAX_VALUE_CHARS} characters. An entry that would
 * break a limit is refused with an {@link IllegalArgumentException} and the metadata is unchanged.
 *
 * <p>Not thread-safe: one call's metadata is filled by its interceptors as the call starts, on
 * the calling thread, and read-only after that.
 */
public final class CallMetadata {
  /** The most entries one call carries. */
  public static final int MAX_ENTRIES = 16;
  /** The most bytes the entries take on the wire, their count included. */
  public static final int MAX_BYTES = 360;
  /** The longest key. */
  public static final int MAX_KEY_CHARS = 64;
  /** The longest value. */
  public static final int MAX_VALUE_CHARS = 256;

  /** This object's fields, charged when one is decoded: two lists and the count of bytes. */
  private static final int FIELDS = 3;
  /** An {@code ArrayList}'s fields: its array, size and modification count. */
  private static final int LIST_FIELDS = 3;

  private final List<String> keys;
  private final List<String> values;
  private int encodedBytes = 4; // the entry count

  /** Empty metadata. */
  public CallMetadata() {
    this(2);
  }

  private CallMetadata(int capacity) {
    keys = new ArrayList<>(capacity);
    values = new ArrayList<>(capacity);
  }

  /**
   * Sets {@code key} to {@code value}, replacing an earlier value.
   *
   * @param key 1 to {@value #MAX_KEY_CHARS} of {@code a-z 0-9 - _ .}
   * @param value printable ASCII, at most {@value #MAX_VALUE_CHARS} characters
   * @return this metadata
   * @throws IllegalArgumentException if the key or value is not allowed, or the metadata would
   *     exceed {@link #MAX_ENTRIES} or {@link #MAX_BYTES}
   */
  public CallMetadata put(String key, String value) {
    String refused = tryPut(key, value);
    if (refused != null) {
      throw new IllegalArgumentException(refused);
    }
    return this;
  }

  /**
   * Puts the entry, or says why not and leaves the metadata unchanged. Told without an
   * exception: {@link #decode} refuses a peer's entry with the reader's exception, which has no
   * stack trace on a server, and a peer may send such entries in every call.
   */
  private String tryPut(String key, String value) {
    String refused = keyRefusal(key);
    if (refused == null) {
      refused = valueRefusal(key, value);
    }
    if (refused != null) {
      return refused;
    }
    int at = keys.indexOf(key);
    int bytes = encodedBytes + (at >= 0
        ? padded(value.length()) - padded(values.get(at).length())
        : entryBytes(key, value));
    if (at < 0 && keys.size() == MAX_ENTRIES) {
      return "call metadata holds at most " + MAX_ENTRIES + " entries";
    }
    if (bytes > MAX_BYTES) {
      return "call metadata would take " + bytes + " bytes, over the " + MAX_BYTES
          + " a call tag has room for; not adding " + key;
    }
    if (at >= 0) {
      values.set(at, value);
    } else {
      keys.add(key);
      values.add(value);
    }
    encodedBytes = bytes;
    return null;
  }

  /**
   * The value of {@code key}, or null.
   *
   * @param key the key
   * @return the value, or null
   */
  public String get(String key) {
    int at = keys.indexOf(key);
    return at < 0 ? null : values.get(at);
  }

  /**
   * The keys, in the order first put.
   *
   * @return an unmodifiable view
   */
  public List<String> keys() {
    return Collections.unmodifiableList(keys);
  }

  /**
   * Whether there are no entries.
   *
   * @return true if nothing was put
   */
  public boolean isEmpty() {
    return keys.isEmpty();
  }

  /**
   * Bytes these entries take on the wire.
   *
   * @return the bytes, at most {@value #MAX_BYTES}; 4 when empty (the count)
   */
  public int encodedBytes() {
    return encodedBytes;
  }

  /**
   * Writes {@code metadata_entry entries<16>}, each entry a key string and a value string.
   *
   * @param out where the entries go
   */
  public void encode(XdrWriter out) {
    out.writeArrayLength(keys.size(), MAX_ENTRIES);
    for (int i = 0; i < keys.size(); i++) {
      out.writeString(keys.get(i), MAX_KEY_CHARS);
      out.writeString(values.get(i), MAX_VALUE_CHARS);
    }
  }

  /**
   * Reads what {@link #encode} wrote; an entry that breaks a rule is malformed input. What the
   * metadata allocates is charged to {@code in}.
   *
   * @param in where the entries come from
   * @return the metadata read
   * @throws XdrException if the data is malformed, or an entry breaks a rule
   */
  public static CallMetadata decode(XdrReader in) {
    int count = in.readArrayLength(MAX_ENTRIES, 8); // charged as one list: the keys
    in.countObject(FIELDS);
    in.countObject(LIST_FIELDS); // the values' list, and its array of count references
    in.countObject(count);
    CallMetadata metadata = new CallMetadata(count); // sized once: no arrays outgrown
    for (int i = 0; i < count; i++) {
      String key = in.readString(MAX_KEY_CHARS);
      String value = in.readString(MAX_VALUE_CHARS);
      String refused = metadata.tryPut(key, value);
      if (refused != null) {
        throw in.malformed("bad call metadata: " + refused);
      }
    }
    return metadata;
  }

  /** Equal when the same keys, in the same order, have the same values. */
  @Override
  public boolean equals(Object o) {
    return o instanceof CallMetadata other && keys.equals(other.keys) && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return 31 * keys.hashCode() + values.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("{");
    for (int i = 0; i < keys.size(); i++) {
      s.append(i == 0 ? "" : ", ").append(keys.get(i)).append('=').append(values.get(i));
    }
    return s.append('}').toString();
  }

  private static int entryBytes(String key, String value) {
    return padded(key.length()) + padded(value.length());
  }

  /** An XDR string of {@code chars} ASCII characters: its length, then bytes padded to 4. */
  private static int padded(int chars) {
    return 4 + ((chars + 3) & ~3);
  }

  private static String keyRefusal(String key) {
    if (key == null || key.isEmpty() || key.length() > MAX_KEY_CHARS) {
      return "a call metadata key has 1 to " + MAX_KEY_CHARS + " characters: " + key;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.')) {
        return "a call metadata key is lower-case ASCII letters, digits, '-', '_' or '.': " + key;
      }
    }
    return null;
  }

  private static String valueRefusal(String key, String value) {
    if (value == null || value.length() > MAX_VALUE_CHARS) {
      return "the value of " + key + " must be present and at most " + MAX_VALUE_CHARS
          + " characters";
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        return "the value of " + key + " is printable ASCII only";
      }
    }
    return null;
  }
}
