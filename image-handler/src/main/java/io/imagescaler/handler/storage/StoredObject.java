package io.imagescaler.handler.storage;

/** An object's bytes and the headers stored with it. */
public record StoredObject(byte[] bytes, String contentType, String cacheControl, String etag) {
}
