package jp.tsunagi.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The product jar, target/tsunagi.jar, as it is shipped: the demo and its simulated systems are not in it. */
class ProductJarIT {
    @Test
    void theProductJarHoldsNoSimulatedAgencySystemNoSshServerAndNoDemoStory() throws Exception {
        try (JarFile jar = new JarFile("target/tsunagi.jar")) {
            assertThat(jar.stream().map(entry -> entry.getName()).toList())
                    .contains("jp/tsunagi/gateway/cli/TsunagiCli.class")
                    .noneMatch(name -> name.toLowerCase().contains("simulator"))
                    .noneMatch(name -> name.startsWith("org/apache/sshd/"))
                    .noneMatch(name -> name.startsWith("jp/tsunagi/gateway/cli/Demo") && !name.contains("DemoElsewhere"));
        }
    }
}
