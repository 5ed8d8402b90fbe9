package dev.sandq.ops.clients;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.requestreply.ReplyingKafkaTemplate;

/** docs/clients.md's Spring Kafka example: an unmodified ReplyingKafkaTemplate. Run by ClientExamplesTest. */
public final class SpringClient {
    private SpringClient() {
    }

    // docs:begin
    /** Sends one job through ReplyingKafkaTemplate and returns its result JSON. */
    public static String submit(String bootstrap, String jobJson, Duration timeout) throws Exception {
        var producers = new DefaultKafkaProducerFactory<String, String>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
        var consumers = new DefaultKafkaConsumerFactory<String, String>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "sandq-replies-" + UUID.randomUUID(), // one group per client
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
        var replies = new KafkaMessageListenerContainer<>(consumers, new ContainerProperties("sandq.results"));
        var template = new ReplyingKafkaTemplate<>(producers, replies);
        template.setDefaultReplyTimeout(timeout);
        template.start();
        try {
            // Wait until the reply consumer has its partitions, or an early reply could be missed.
            if (!template.waitForAssignment(Duration.ofSeconds(30))) {
                throw new IllegalStateException("reply container got no partitions");
            }
            // The template adds kafka_correlationId and kafka_replyTopic; sandq answers in kind.
            return template.sendAndReceive(new ProducerRecord<>("sandq.jobs", jobJson)).get().value();
        } finally {
            template.stop();
            template.destroy();
            producers.destroy();
        }
    }
    // docs:end
}
