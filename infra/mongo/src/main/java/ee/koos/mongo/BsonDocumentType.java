package ee.koos.mongo;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.ObjectDataType;

import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The documents of a collection stored as BSON instead of by Java serialization.
 * <p>
 * The stock backend stores each document with H2's {@link ObjectDataType}, which serializes a {@link Document} with
 * {@code ObjectOutputStream} — a class descriptor per nested map, every time a page is written, read back or its
 * memory estimated; in a rush that was most of the server's CPU. A document is written here as one marker byte and
 * its BSON (the wire's own encoding, so every type a client can send survives); anything else, or a document BSON
 * cannot hold, is written by {@link ObjectDataType} as before. The marker is a byte {@link ObjectDataType} never
 * writes first, so a store written by the stock backend stays readable and its documents are rewritten as BSON as
 * they change.
 */
final class BsonDocumentType extends BasicDataType<Object> {

    static final byte MARKER = (byte) 0xB0;

    private final ObjectDataType fallback = new ObjectDataType();

    @Override
    public void write(WriteBuffer buffer, Object value) {
        if (value instanceof Document document) {
            ByteBuf bson = encoded(document);
            if (bson != null) {
                buffer.put(MARKER).put(bson.array(), bson.arrayOffset() + bson.readerIndex(), bson.readableBytes());
                return;
            }
        }
        fallback.write(buffer, value);
    }

    @Override
    public Object read(ByteBuffer buffer) {
        if (buffer.get(buffer.position()) != MARKER) {
            return fallback.read(buffer);
        }
        buffer.get();
        int length = Integer.reverseBytes(buffer.getInt(buffer.position()));
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bytes));
    }

    @Override
    public int getMemory(Object value) {
        return estimate(value);
    }

    @Override
    public Object[] createStorage(int size) {
        return new Object[size];
    }

    private static ByteBuf encoded(Document document) {
        ByteBuf bson = Unpooled.buffer(256);
        try {
            BsonEncoder.encodeDocument(document, bson);
            return bson;
        } catch (RuntimeException notBson) {
            return null;
        }
    }

    /** A rough size in memory, without serializing anything (H2 asks for it on every write). */
    static int estimate(Object value) {
        if (value instanceof Map<?, ?> map) {
            int size = 48;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                size += 40 + estimate(entry.getKey()) + estimate(entry.getValue());
            }
            return size;
        }
        if (value instanceof List<?> list) {
            int size = 32;
            for (Object element : list) {
                size += 8 + estimate(element);
            }
            return size;
        }
        if (value instanceof String string) {
            return 40 + 2 * string.length();
        }
        if (value instanceof BinData binary) {
            return 32 + binary.getData().length;
        }
        return 24;
    }
}
