package vn.hotline.gateway.channel.asterisk.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** The Asterisk servers allowed to connect: single addresses or CIDR blocks, IPv4 or IPv6, no host names. */
final class AllowedClients {

    private record Block(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Block> blocks;

    private AllowedClients(List<Block> blocks) {
        this.blocks = blocks;
    }

    /** Parses {@code 10.0.0.5}, {@code 10.0.0.0/24}, {@code ::1}; rejects host names so no lookup happens. */
    static AllowedClients parse(List<String> entries) {
        List<Block> blocks = new ArrayList<>();
        for (String entry : entries) {
            String[] parts = entry.trim().split("/", 2);
            if (!parts[0].matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
                throw new IllegalArgumentException("hotline.asterisk.allowed-clients: '" + entry
                        + "' is not an IP address or CIDR block");
            }
            try {
                byte[] network = InetAddress.getByName(parts[0]).getAddress();
                int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : network.length * 8;
                if (prefix < 0 || prefix > network.length * 8) {
                    throw new IllegalArgumentException("hotline.asterisk.allowed-clients: bad prefix in '" + entry + "'");
                }
                blocks.add(new Block(network, prefix));
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("hotline.asterisk.allowed-clients: cannot read '" + entry + "'", e);
            }
        }
        return new AllowedClients(List.copyOf(blocks));
    }

    boolean allows(InetAddress address) {
        byte[] bytes = address.getAddress();
        return blocks.stream().anyMatch(b -> b.contains(bytes));
    }
}
