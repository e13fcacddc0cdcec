package io.imagescaler.sr;

/**
 * {@code java -jar sr-endpoint.jar}: the container's entry point. A class of its own so that the logging
 * configuration and DJL's offline switches are set before any class that holds a logger or touches
 * DJL is initialised.
 */
public final class SrEndpointMain {

    private SrEndpointMain() {
    }

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null)
            System.setProperty("logback.configurationFile", "sr-endpoint-logback.xml");
        OfflineEngine.ensure();
        SrServer.serve();
    }
}
