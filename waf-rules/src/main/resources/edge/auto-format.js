// CloudFront Function (runtime cloudfront-js-2.0), viewer request:
// rewrites /v1/images/{id}/{transform}.auto to a concrete format chosen from Accept, before the cache
// lookup, so the cache key holds the format and never the raw Accept header.
// Preference: AVIF (only when the deployment has an AVIF encoder) > WebP > JPEG, or PNG instead of JPEG
// when the image has alpha. Only explicitly listed image types count; q=0 or an unreadable q refuses one.
// The same table (accept-formats.json) checks this file and the Java FormatNegotiation.
//
// Whether an image has alpha comes from the CloudFront KeyValueStore associated with this function:
// key = image id, value containing "alpha" (written at upload). No store, or no key: no alpha.
import cf from 'cloudfront';

// cdk sets this to true when the deployment's handler has an AVIF encoder.
var AVIF_ENCODER_AVAILABLE = false;

var AUTO_PATH = /^(\/v1\/images\/([A-Za-z0-9_-]{43})\/[^\/]+)\.auto$/;
var QVALUE = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/;

var kvsHandle = null;
try {
    kvsHandle = cf.kvs();
} catch (e) {
    kvsHandle = null;
}

function acceptedTypes(accept) {
    var types = {};
    if (!accept) {
        return types;
    }
    var elements = accept.split(',');
    for (var i = 0; i < elements.length; i++) {
        var parts = elements[i].split(';');
        var type = parts[0].trim().toLowerCase();
        if (type === '') {
            continue;
        }
        var acceptable = true;
        for (var j = 1; j < parts.length; j++) {
            var p = parts[j].trim();
            var eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().toLowerCase() === 'q') {
                var q = p.substring(eq + 1).trim();
                acceptable = QVALUE.test(q) && parseFloat(q) > 0;
            }
        }
        if (acceptable) {
            types[type] = true;
        }
    }
    return types;
}

function chooseFormat(accept, hasAlpha, avifEncoder) {
    var accepted = acceptedTypes(accept);
    if (avifEncoder && accepted['image/avif']) {
        return 'avif';
    }
    if (accepted['image/webp']) {
        return 'webp';
    }
    return hasAlpha ? 'png' : 'jpg';
}

async function handler(event) {
    var request = event.request;
    var m = AUTO_PATH.exec(request.uri);
    if (!m) {
        return request;
    }
    var accept = request.headers.accept ? request.headers.accept.value : '';
    var hasAlpha = false;
    if (kvsHandle) {
        try {
            hasAlpha = String(await kvsHandle.get(m[2])).indexOf('alpha') >= 0;
        } catch (e) {
            hasAlpha = false; // no key: an opaque image
        }
    }
    request.uri = m[1] + '.' + chooseFormat(accept, hasAlpha, AVIF_ENCODER_AVAILABLE);
    return request;
}
