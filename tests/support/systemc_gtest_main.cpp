// main() for test benches that elaborate SystemC modules: GoogleTest runs inside sc_main, and a
// SystemC warning or error fails the test that caused it.
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>
#include <systemc>

namespace {

void fail_on_report(const sc_core::sc_report& report, const sc_core::sc_actions& actions) {
    if (report.get_severity() >= sc_core::SC_WARNING)
        ADD_FAILURE() << "SystemC " << (report.get_severity() == sc_core::SC_WARNING ? "warning" : "error") << ": "
                      << report.get_msg_type() << ": " << report.get_msg();
    sc_core::sc_report_handler::default_handler(report, actions & ~(sc_core::SC_STOP | sc_core::SC_ABORT));
}

}  // namespace

int sc_main(int argc, char* argv[]) {
    sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
    sc_core::sc_report_handler::set_handler(fail_on_report);
    testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}

int main(int argc, char* argv[]) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    return sc_core::sc_elab_and_sim(argc, argv);
}
