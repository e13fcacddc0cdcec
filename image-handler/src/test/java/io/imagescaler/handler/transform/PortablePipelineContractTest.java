package io.imagescaler.handler.transform;

import io.imagescaler.handler.transform.portable.JavaBackend;

/** Every check of {@link PipelineTest}, on the pure-Java backend (the fallback where libvips cannot load). */
class PortablePipelineContractTest extends PipelineTest {

    @Override
    TransformEngine newEngine() {
        return new Pipeline(new JavaBackend());
    }
}
