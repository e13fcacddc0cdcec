package io.imagescaler.handler.transform;

import io.imagescaler.handler.transform.portable.PortablePipeline;

/** Every check of {@link PipelineTest}, on the pure-Java engine (the fallback when the natives cannot load). */
class PortablePipelineContractTest extends PipelineTest {

    @Override
    TransformEngine newEngine() {
        return new PortablePipeline();
    }
}
