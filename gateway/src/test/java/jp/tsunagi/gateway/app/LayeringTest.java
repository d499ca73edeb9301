package jp.tsunagi.gateway.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The gateway's layering (docs/architecture.md section 2) as tests: no package depends on another in a circle, the
 * security core holds no Camel types, and only the application and the command line know how the whole is wired.
 * (That only the referral ledger writes a referral is ReferralTablesOwnerTest's, which also reads the SQL.)
 */
@AnalyzeClasses(packages = "jp.tsunagi.gateway", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {
    @ArchTest
    static final ArchRule packages_depend_on_each_other_in_one_direction_only = slices()
            .matching("jp.tsunagi.gateway.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule the_security_core_holds_no_camel_types = noClasses()
            .that().resideInAnyPackage("jp.tsunagi.gateway.policy..", "jp.tsunagi.gateway.audit..",
                    "jp.tsunagi.gateway.store..", "jp.tsunagi.gateway.delivery..", "jp.tsunagi.gateway.referral..",
                    "jp.tsunagi.gateway.intake..", "jp.tsunagi.gateway.settings..")
            .should().dependOnClassesThat().resideInAPackage("org.apache.camel..");

    @ArchTest
    static final ArchRule only_the_application_and_the_command_line_know_the_wiring = noClasses()
            .that().resideOutsideOfPackages("jp.tsunagi.gateway.app..", "jp.tsunagi.gateway.cli..")
            .should().dependOnClassesThat().resideInAPackage("jp.tsunagi.gateway.app..");

    @ArchTest
    static final ArchRule the_policy_decides_without_a_database = noClasses()
            .that().resideInAPackage("jp.tsunagi.gateway.policy..")
            .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "jp.tsunagi.gateway.store..");
}
