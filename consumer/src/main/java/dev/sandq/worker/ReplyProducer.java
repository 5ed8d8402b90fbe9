package dev.sandq.worker;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;

/** The producer of replies and dead letters, its client metrics bound; closing gives it 10 s to send what it holds. */
final class ReplyProducer implements AutoCloseable {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaClientMetrics metrics;

    private ReplyProducer(KafkaProducer<byte[], byte[]> producer, KafkaClientMetrics metrics) {
        this.producer = producer;
        this.metrics = metrics;
    }

    static ReplyProducer open(Map<String, Object> properties, MeterRegistry registry) {
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(properties);
        KafkaClientMetrics metrics = new KafkaClientMetrics(producer);
        metrics.bindTo(registry);
        return new ReplyProducer(producer, metrics);
    }

    KafkaProducer<byte[], byte[]> producer() {
        return producer;
    }

    @Override
    public void close() {
        QuietClose.close(() -> producer.close(CLOSE_TIMEOUT));
        QuietClose.close(metrics);
    }
}
