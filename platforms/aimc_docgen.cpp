// aimc-docgen: checks or rewrites the generated tables (register maps, parameters, CSRs) in docs/.
#include <cstdlib>
#include <iostream>

#include <systemc>

#include "doc_tables.h"

// The tables come from libraries that link SystemC, whose main() calls sc_main().
int sc_main(int argc, char* argv[]) {
    const std::string usage = "usage: aimc-docgen (--check|--update) <docs-dir>";
    if (argc != 3) {
        std::cerr << usage << "\n";
        return 2;
    }
    const std::string mode = argv[1];
    if (mode != "--check" && mode != "--update") {
        std::cerr << usage << "\n";
        return 2;
    }
    try {
        const auto stale = aimc::platform::stale_docs(argv[2], mode == "--update");
        for (const auto& f : stale) std::cout << (mode == "--update" ? "updated " : "stale ") << f << "\n";
        return mode == "--check" && !stale.empty() ? 1 : 0;
    } catch (const std::exception& e) {
        std::cerr << "aimc-docgen: " << e.what() << "\n";
        return 2;
    }
}

int main(int argc, char* argv[]) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    return sc_core::sc_elab_and_sim(argc, argv);
}
