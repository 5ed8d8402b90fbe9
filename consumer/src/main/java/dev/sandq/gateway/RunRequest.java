package dev.sandq.gateway;

import java.util.List;

/**
 * The fields of {@code POST /v1/sandbox/run} as Dify sends them: {@code language} ("python3" or
 * "nodejs"), {@code code} (a complete program: Dify has already wrapped the user's code in its
 * runner), {@code preload}, {@code enable_network}. Bound as DifySandbox binds them
 * ({@link DifyBinding}): JSON, a form or the query string; other fields (Dify's old dependencies
 * list) are ignored.
 */
public record RunRequest(String language, String code, String preload, boolean enableNetwork) {
    /** DifySandbox's request struct, in its order (the validator reports in this order). */
    static final List<DifyBinding.Field> FIELDS = List.of(
            new DifyBinding.Field("language", "Language", false, true),
            new DifyBinding.Field("code", "Code", false, true),
            new DifyBinding.Field("preload", "Preload", false, false),
            new DifyBinding.Field("enable_network", "EnableNetwork", true, false));

    /** A request DifySandbox's binder refuses, with the status and -400 message it answers. */
    public static final class Invalid extends Exception {
        private final int httpStatus;

        Invalid(int httpStatus, String message) {
            super(message);
            this.httpStatus = httpStatus;
        }

        /** 400 for a body sent as exactly application/json (gin writes it before the envelope), else 200. */
        public int httpStatus() {
            return httpStatus;
        }
    }

    /** A JSON body sent as exactly {@code application/json}, as Dify sends it. */
    public static RunRequest parse(byte[] body) throws Invalid {
        return bind("POST", "application/json", null, body);
    }

    /** The request as DifySandbox's binder reads it from its method, Content-Type, query string and body. */
    public static RunRequest bind(String method, String contentType, String rawQuery, byte[] body) throws Invalid {
        DifyBinding.Bound bound = DifyBinding.bind(method, contentType, rawQuery, body, FIELDS);
        if (bound instanceof DifyBinding.Refused refused) {
            throw new Invalid(refused.httpStatus(), refused.message());
        }
        DifyBinding.Values v = (DifyBinding.Values) bound;
        return new RunRequest(v.text("language"), v.text("code"), v.text("preload"), v.bool("enable_network"));
    }

    /**
     * The job the gateway makes of this run with its default settings ({@link DifyJobs}), asking for
     * the network when {@code allowNetwork} and the run both do; not started by {@code deadlineEpochMs}, it expires.
     */
    public byte[] toJob(boolean allowNetwork, long deadlineEpochMs) {
        return DifyJobs.job(this, GatewayConfig.JobLimits.DIFY, false, allowNetwork && enableNetwork, deadlineEpochMs);
    }
}
