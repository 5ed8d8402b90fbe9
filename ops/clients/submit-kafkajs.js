// Submit one job with kafkajs and print its result. Usage: KAFKA=host:9092 node submit-kafkajs.js
const { Kafka, logLevel, CompressionTypes, CompressionCodecs } = require('kafkajs');
const { randomUUID } = require('node:crypto');
const fzstd = require('fzstd');

// sandq produces results zstd-compressed; kafkajs has no zstd codec of its own. Reading needs
// only decompression, which the pure-JavaScript fzstd package does.
CompressionCodecs[CompressionTypes.ZSTD] = () => ({
  compress: async () => { throw new Error('zstd compression not configured'); },
  decompress: async (buffer) => Buffer.from(fzstd.decompress(buffer)),
});

async function main() {
  const kafka = new Kafka({ clientId: 'sandq-example', brokers: [process.env.KAFKA || 'localhost:9092'],
    logLevel: logLevel.NOTHING });
  const correlationId = randomUUID();
  const consumer = kafka.consumer({ groupId: `sandq-example-${correlationId}` });
  const producer = kafka.producer();
  await Promise.all([consumer.connect(), producer.connect()]);

  const result = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no result for ${correlationId}`)), 60000);
    // fromBeginning: the group is new, so it must not start after our reply; match by key.
    consumer.subscribe({ topic: 'sandq.results', fromBeginning: true })
      .then(() => consumer.run({
        eachMessage: async ({ message }) => {
          if (message.key && message.key.toString() === correlationId) {
            clearTimeout(timer);
            resolve(message.value.toString());
          }
        },
      }))
      .catch(reject);
  });

  await producer.send({
    topic: 'sandq.jobs',
    acks: -1,
    messages: [{
      // An input file in; what the program leaves in $SANDQ_OUTPUT_DIR comes back in the result's "files".
      value: JSON.stringify({
        language: 'nodejs',
        code: "const fs = require('fs');\nconst n = fs.readFileSync('n.txt', 'utf8');\nconsole.log(n);\n"
          + "fs.writeFileSync(process.env.SANDQ_OUTPUT_DIR + '/answer.txt', n);\n",
        files: [{ path: 'n.txt', content: '42' }],
      }),
      headers: { kafka_correlationId: correlationId, kafka_replyTopic: 'sandq.results' },
    }],
  });
  console.log(await result);
  await Promise.all([consumer.disconnect(), producer.disconnect()]);
}

main().catch((e) => { console.error(e.message); process.exit(1); });
