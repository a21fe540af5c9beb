// aimc-docgen: checks or rewrites the generated tables (register maps, parameters, CSRs) in docs/.
#include <cstdlib>
#include <iostream>

#include <CLI/CLI.hpp>
#include <systemc>

#include "doc_tables.h"

// The tables come from libraries that link SystemC, whose main() calls sc_main().
int sc_main(int argc, char* argv[]) {
    std::string dir;
    bool check = false, update = false;
    CLI::App app{"aimc-docgen: checks or rewrites the generated tables (register maps, parameters, CSRs) in docs/"};
    auto* check_flag = app.add_flag("--check", check, "Report stale tables (exit status 1 if any)");
    app.add_flag("--update", update, "Rewrite stale tables")->excludes(check_flag);
    app.add_option("docs-dir", dir, "The docs directory")->required()->check(CLI::ExistingDirectory);
    try {
        app.parse(argc, argv);
        if (check == update) throw CLI::ValidationError("--check or --update", "give exactly one of them");
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }
    try {
        const auto stale = aimc::platform::stale_docs(dir, update);
        for (const auto& f : stale) std::cout << (update ? "updated " : "stale ") << f << "\n";
        return check && !stale.empty() ? 1 : 0;
    } catch (const std::exception& e) {
        std::cerr << "aimc-docgen: " << e.what() << "\n";
        return 2;
    }
}

int main(int argc, char* argv[]) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    return sc_core::sc_elab_and_sim(argc, argv);
}
