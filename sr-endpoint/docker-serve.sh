#!/bin/sh
# SageMaker runs the image as `docker run IMAGE serve`; the argument is ignored.
exec java -XX:+UseSerialGC -XX:MaxRAMPercentage=75 --enable-native-access=ALL-UNNAMED \
  -Dai.djl.offline=true -Djava.awt.headless=true -jar /opt/sr-endpoint/sr-endpoint.jar
