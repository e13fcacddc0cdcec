// Viewer-request CloudFront Function (cloudfront-js-2.0) for variant GETs, /v1/images/{id}/{transform}.{fmt}.
// The ONE copy: cdk/ inlines this file into the CloudFront Function; the local edge runs the same text in Rhino
// (waf-rules VariantRequestFunction). ECMAScript 5.1 only, which both runtimes accept. Runs after CloudFront
// checked the signature on the URL as the viewer sent it, and before the cache lookup:
// 1. Percent-encoded characters that may appear in a variant (AWS's JS signer sends ',' as %2C) are decoded,
//    so every spelling of a variant has one cache key and one generated-bucket key.
// 2. '.auto' becomes AVIF or WebP when Accept lists it (q > 0) and the engine encodes it; else it stays
//    '.auto', which the handler answers with the baseline every viewer decodes: PNG when the original has
//    alpha, JPEG otherwise (the origin knows the pixels; this function does not). '.jpeg' becomes '.jpg'.
// 3. The URI loses /v1/images: the generated bucket keys variants {id}/{transform}.{fmt}; the API Gateway
//    origin puts the prefix back with its origin path.

// What the engine encodes, best first among the modern ones. This is what the deployed (native libvips)
// engine encodes; the local edge rewrites this one line with what its running engine encodes.
var ENCODES = 'avif,webp,jpg,png,gif';

var PREFIX = '/v1/images';
var VARIANT = /^\/v1\/images\/([A-Za-z0-9_-]{43})\/([^\/]+)\.([A-Za-z]+)$/;
var ESCAPE = /%([0-9A-Fa-f]{2})/g;
// characters of a path segment (RFC 3986 pchar) that need no escaping: decoding them changes no meaning
var PLAIN = /^[A-Za-z0-9._~!$&'()*+,;=:@-]$/;
var QVALUE = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/;
var MODERN = ['avif', 'webp'];

function decodeEscape(match, hex) {
    var c = String.fromCharCode(parseInt(hex, 16));
    return PLAIN.test(c) ? c : match.toUpperCase();
}

function canonicalUri(uri) {
    return uri.replace(ESCAPE, decodeEscape);
}

function acceptedTypes(accept) {
    var types = {};
    var elements = (accept || '').split(',');
    for (var i = 0; i < elements.length; i++) {
        var parts = elements[i].split(';');
        var type = parts[0].trim().toLowerCase();
        var acceptable = type !== '';
        for (var j = 1; j < parts.length; j++) {
            var p = parts[j].trim();
            var eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().toLowerCase() === 'q') {
                var q = p.substring(eq + 1).trim();
                acceptable = acceptable && QVALUE.test(q) && parseFloat(q) > 0;
            }
        }
        if (acceptable) {
            types[type] = true;
        }
    }
    return types;
}

// Only explicitly listed types count: image/* and */* were sent by browsers that could not decode WebP.
function chooseFormat(accept, encodes) {
    var accepted = acceptedTypes(accept);
    var can = ',' + encodes + ',';
    for (var i = 0; i < MODERN.length; i++) {
        if (can.indexOf(',' + MODERN[i] + ',') >= 0 && accepted['image/' + MODERN[i]]) {
            return MODERN[i];
        }
    }
    return 'auto';
}

function handler(event) {
    var request = event.request;
    var uri = canonicalUri(request.uri);
    var m = VARIANT.exec(uri);
    if (m) {
        var fmt = m[3].toLowerCase();
        if (fmt === 'auto') {
            var accept = request.headers.accept ? request.headers.accept.value : '';
            fmt = chooseFormat(accept, ENCODES);
        } else if (fmt === 'jpeg') {
            fmt = 'jpg';
        }
        uri = PREFIX + '/' + m[1] + '/' + m[2] + '.' + fmt;
    }
    if (uri.indexOf(PREFIX + '/') === 0) {
        uri = uri.substring(PREFIX.length);
    }
    request.uri = uri;
    return request;
}
