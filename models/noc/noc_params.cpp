#include "noc/noc_params.h"

#include <cmath>
#include <sstream>
#include <type_traits>
#include <variant>

namespace aimc::noc {


void NocParams::validate() const {
    check_ranges(const_cast<NocParams&>(*this), "noc.");  // describe() only reads through the visitor here
    for (const auto& [name, at] : {std::pair{"host", host}, std::pair{"memory", memory}}) {
        if (at.x >= width || at.y >= height)
            throw ConfigError("noc." + std::string(name) + ": port at " + to_string(Coord{at.x, at.y}) +
                              " is outside the " + std::to_string(width) + "x" + std::to_string(height) + " mesh");
    }
}

std::vector<Attachment> NocParams::attachments() const {
    return {{"host", {host.x, host.y}}, {"memory", {memory.x, memory.y}}};
}

}  // namespace aimc::noc
