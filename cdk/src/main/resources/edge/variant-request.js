// Viewer-request CloudFront Function (cloudfront-js-2.0) for variant GETs: /v1/images/{id}/{transform}.{fmt}
//
// 1. `.auto` becomes a concrete format from Accept, BEFORE the cache lookup, so the cache key holds the
//    negotiated format and never the raw Accept header.
// 2. The URI loses its /v1/images prefix: the origin group's two origins share the request path, and the
//    generated bucket keys variants as {id}/{transform}.{fmt}; the API Gateway origin puts the prefix back
//    with its origin path /prod/v1/images.
//
// TODO(waf-rules): the format negotiation is also written, for the local edge, in
// waf-rules/src/main/resources/edge/auto-format.js; once that file exists, load its negotiation from there
// (Cdn.java reads this file) so the edge and the local edge cannot drift apart.
function handler(event) {
    var request = event.request;
    var uri = request.uri;
    var prefix = '/v1/images/';
    if (uri.indexOf(prefix) !== 0) {
        return request;
    }
    if (uri.slice(-5) === '.auto') {
        var accept = request.headers.accept ? request.headers.accept.value : '';
        var format = accept.indexOf('image/avif') !== -1 ? 'avif'
            : accept.indexOf('image/webp') !== -1 ? 'webp'
            : 'jpg';
        uri = uri.slice(0, -4) + format;
    }
    request.uri = uri.slice(prefix.length - 1);
    return request;
}
