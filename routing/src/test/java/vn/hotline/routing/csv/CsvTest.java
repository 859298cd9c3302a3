package vn.hotline.routing.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {

    private static List<String> cells(String line) {
        return Csv.read(line + "\n").get(0).fields();
    }

    @Test
    void cellsASpreadsheetWouldRunAsFormulasAreWrittenAsText() {
        String line = Csv.line(List.of("=HYPERLINK(\"http://x\",\"y\")", "+84 9** *** 456", "-1+1", "@SUM(A1)", "\tx", "Cán bộ"));

        assertThat(cells(line)).containsExactly("'=HYPERLINK(\"http://x\",\"y\")", "'+84 9** *** 456", "'-1+1", "'@SUM(A1)",
                "'\tx", "Cán bộ");
    }

    @Test
    void numbersAndOrdinaryTextAreWrittenAsTheyAre() {
        assertThat(Csv.line("540", -3, 12, "a=b", "x")).isEqualTo("540,-3,12,a=b,x");
    }
}
