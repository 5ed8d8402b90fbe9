package dev.sandq.worker;

/** The end-to-end suite against the in-process KRaft broker (the default build; no Docker needed). */
class InProcessBrokerEndToEndTest extends EndToEndSuite {
    @Override
    String bootstrapServers() {
        return SharedBroker.get().bootstrapServers();
    }
}
