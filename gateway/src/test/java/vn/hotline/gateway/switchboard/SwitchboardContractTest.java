package vn.hotline.gateway.switchboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import vn.hotline.ivr.triage.AgeBand;
import vn.hotline.ivr.triage.Category;
import vn.hotline.ivr.triage.ReporterRole;
import vn.hotline.ivr.triage.Urgency;

/** The published contract (ops/switchboard/openapi.yaml) names the same paths and codes the code speaks. */
class SwitchboardContractTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec() throws IOException {
        try (Reader reader = Files.newBufferedReader(Path.of("..", "ops", "switchboard", "openapi.yaml"))) {
            return new Yaml().load(reader);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> enumOf(Map<String, Object> spec, String schema) {
        Map<String, Object> schemas = (Map<String, Object>) ((Map<String, Object>) spec.get("components")).get("schemas");
        return ((List<Object>) ((Map<String, Object>) schemas.get(schema)).get("enum")).stream().map(String::valueOf).toList();
    }

    @Test
    void theContractsCodesAreTheTriageCodes() throws IOException {
        Map<String, Object> spec = spec();
        assertThat(enumOf(spec, "Category")).containsExactlyElementsOf(Arrays.stream(Category.values()).map(Enum::name).toList());
        assertThat(enumOf(spec, "Urgency")).containsExactlyElementsOf(Arrays.stream(Urgency.values()).map(Enum::name).toList());
        assertThat(enumOf(spec, "ReporterRole")).containsExactlyElementsOf(Arrays.stream(ReporterRole.values()).map(Enum::name).toList());
        assertThat(enumOf(spec, "AgeBand")).containsExactlyElementsOf(Arrays.stream(AgeBand.values()).map(AgeBand::code).toList());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theContractNamesThePathsBothSidesServe() throws IOException {
        assertThat(((Map<String, Object>) spec().get("paths")).keySet())
                .containsExactlyInAnyOrder("/referrals", "/referrals/{referenceId}/status", "/switchboard/referrals",
                        "/switchboard/referrals/{referenceId}/status");
    }
}
