package io.imagescaler.signer;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IPv4 CIDR block as a custom policy's {@code IpAddress / AWS:SourceIp} states it. CloudFront accepts
 * only IPv4 there, so an IPv6 viewer never matches a policy that names a range; a bare address means /32.
 */
public record IpRange(int network, int prefixLength) {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final String MAPPED_PREFIX = "::ffff:";

    public IpRange {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length must be 0..32");
        }
        network &= mask(prefixLength);
    }

    /** {@code 192.0.2.0/24} or a bare {@code 192.0.2.7}. */
    public static IpRange parse(String cidr) {
        String[] parts = cidr.strip().split("/", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("not an IPv4 CIDR: " + cidr);
        }
        int address = ipv4(parts[0]).orElseThrow(() -> new IllegalArgumentException("not an IPv4 address: " + cidr));
        int prefix = 32;
        if (parts.length == 2) {
            if (!parts[1].matches("\\d{1,2}")) {
                throw new IllegalArgumentException("not a prefix length: " + cidr);
            }
            prefix = Integer.parseInt(parts[1]);
        }
        return new IpRange(address, prefix);
    }

    /** False for anything that is not an IPv4 address (IPv4-mapped IPv6 counts as IPv4). */
    public boolean contains(String clientIp) {
        if (clientIp == null) {
            return false;
        }
        String ip = clientIp.strip();
        if (ip.toLowerCase().startsWith(MAPPED_PREFIX)) {
            ip = ip.substring(MAPPED_PREFIX.length());
        }
        return ipv4(ip).map(a -> (a & mask(prefixLength)) == network).orElse(false);
    }

    static Optional<Integer> ipv4(String text) {
        Matcher m = IPV4.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        int value = 0;
        for (int i = 1; i <= 4; i++) {
            int octet = Integer.parseInt(m.group(i));
            if (octet > 255) {
                return Optional.empty();
            }
            value = (value << 8) | octet;
        }
        return Optional.of(value);
    }

    private static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    @Override
    public String toString() {
        return ((network >>> 24) & 255) + "." + ((network >>> 16) & 255) + "." + ((network >>> 8) & 255) + "."
                + (network & 255) + "/" + prefixLength;
    }
}
