package vn.hotline.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import vn.hotline.gateway.command.Commands;

/** The hotline integration server. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class HotlineApplication {

    public static void main(String[] args) {
        if (Commands.requested(args).isPresent()) {
            System.exit(Commands.run(System.out, args));
        }
        SpringApplication.run(HotlineApplication.class, args);
    }
}
