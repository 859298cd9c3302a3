package vn.hotline.ivr.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import vn.hotline.ivr.prompt.PromptCatalogs;

class FlowLoaderTest {

    static final FlowLoader LOADER = new FlowLoader(PromptCatalogs.load(PromptCatalogs.DEFAULT_FOLDER));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown-node.json           | node 'greeting' option '1': next 'whoo' is not a node of this flow",
        "unreachable-node.json       | node 'orphan' is unreachable from 'greeting'",
        "missing-prompt.json         | node 'greeting': prompt 'menu.does_not_exist' is missing in catalog",
        "cycle-without-exit.json     | is on a cycle with no exit to a transfer or a result",
        "cycle-without-question.json | is on a cycle that asks the caller nothing",
        "unsupported-spec.json       | spec version 2 is not supported (this engine reads 1)",
        "misspelt-field.json         | not a valid flow file: Unrecognized property \"nxt\"",
        "zero-key.json               | node 'greeting': key '0' is reserved: 0 always reaches a person",
    })
    void brokenFlowFailsToLoadWithAMessageNamingFileAndNode(String file, String message) {
        String resource = "flows-broken/" + file;

        assertThatThrownBy(() -> LOADER.load(resource))
                .isInstanceOf(FlowException.class)
                .hasMessageStartingWith(resource + ": ")
                .hasMessageContaining(message);
    }

    @Test
    void cycleWithoutExitNamesANodeOfTheCycle() {
        assertThatThrownBy(() -> LOADER.load("flows-broken/cycle-without-exit.json"))
                .hasMessageMatching(".*node '(loop|loop2)' is on a cycle.*");
    }

    @Test
    void defaultFlowLoadsWithEveryFormerDistrictOfBothProvinces() {
        Flow flow = LOADER.load(FlowRepository.DEFAULT_FLOW);

        Node.Menu district = (Node.Menu) flow.node("district");
        assertThat(district.options()).extracting(option -> option.set().formerDistrict())
                .filteredOn(code -> code != null)
                .hasSize(28)
                .doesNotHaveDuplicates()
                .contains("540", "550", "551", "622", "639");
        assertThat(flow.id()).isEqualTo("hotline-default");
        assertThat(flow.version()).isEqualTo(2);
        assertThat(((Node.Result) flow.node("report")).textOffer()).isEqualTo("end.offer_text");
        for (String earlier : FlowRepository.EARLIER_DEFAULT_FLOWS) {
            assertThat(LOADER.load(earlier).version()).as("kept for sessions that started on it").isLessThan(2);
        }
    }
}
