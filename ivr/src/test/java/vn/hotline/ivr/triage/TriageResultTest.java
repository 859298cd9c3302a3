package vn.hotline.ivr.triage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TriageResultTest {

    @ParameterizedTest(name = "{0}, abandoned={1} -> case={2}")
    @CsvSource({
        "IMMEDIATE, false, true",
        "HIGH,      false, true",
        "NORMAL,    false, true",
        "INFO,      false, false",
        "IMMEDIATE, true,  true",
        "HIGH,      true,  true",
        "NORMAL,    true,  false",
        "INFO,      true,  false",
    })
    void opensCaseForCompletedNonInfoAndForUrgentAbandonedContacts(Urgency urgency, boolean abandoned, boolean expected) {
        TriageResult result = new TriageResult(Channel.SMS, Language.VI, urgency, Category.CYBERBULLYING,
                ReporterRole.CHILD, AgeBand.AGE_11_15, LocationHint.NONE, Consents.NONE,
                abandoned ? Optional.of("category") : Optional.empty(), List.of("greeting", "category"));

        assertThat(result.opensCase()).isEqualTo(expected);
    }
}
