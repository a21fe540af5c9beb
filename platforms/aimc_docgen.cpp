// aimc-docgen: checks or rewrites the generated tables (register maps, parameters) in docs/.
#include <iostream>

#include "doc_tables.h"

int main(int argc, char* argv[]) {
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
