package vn.hotline.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;

/** Keeps the pure cores pure and each gateway area's internals its own (STYLE: configuration and boundaries). */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("vn.hotline");

    @Test
    void ivrAndRoutingDependOnNoFrameworkOrProvider() {
        noClasses().that().resideInAnyPackage("vn.hotline.ivr..", "vn.hotline.routing..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "reactor..", "io.r2dbc..",
                        "org.asteriskjava..", "com.twilio..", "vn.hotline.gateway..", "java.sql..")
                .check(CLASSES);
    }

    @Test
    void noAreaReachesIntoAnotherAreasInternals() {
        classes().that().resideInAPackage("vn.hotline.gateway..")
                .should(new ArchCondition<JavaClass>("use only their own area's internal packages") {
                    @Override
                    public void check(JavaClass origin, ConditionEvents events) {
                        for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                            String target = dependency.getTargetClass().getPackageName();
                            int internal = target.indexOf(".internal");
                            if (target.startsWith("vn.hotline.gateway.") && internal > 0
                                    && !origin.getPackageName().startsWith(target.substring(0, internal))) {
                                events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                            }
                        }
                    }
                })
                .check(CLASSES);
    }

    @Test
    void channelsDoNotDependOnEachOther() {
        slices().matching("vn.hotline.gateway.channel.(*)..").should().notDependOnEachOther().check(CLASSES);
    }

    @Test
    void onlyTheAsteriskChannelUsesAsteriskJava() {
        noClasses().that().resideOutsideOfPackage("vn.hotline.gateway.channel.asterisk..")
                .should().dependOnClassesThat().resideInAPackage("org.asteriskjava..")
                .check(CLASSES);
    }
}
