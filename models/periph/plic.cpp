#include "periph/plic.h"

#include "common/log.h"

namespace aimc::periph {

Plic::Plic(sc_core::sc_module_name name, const PlicParams& params)
    : RegisterTarget(name, "plic", sc_core::sc_time(params.access_latency, sc_core::SC_SEC)),
      sources("sources", kNumSources),
      meip("meip") {
    auto& r = regs();
    r.at(AIMC_PLIC_PRIORITY).on_write = [this](unsigned n, uint32_t v) {
        regs().at(AIMC_PLIC_PRIORITY).value[n] = n == 0 ? 0 : (v & 7);  // 3 priority bits; source 0 is reserved
        changed_.notify(sc_core::SC_ZERO_TIME);
    };
    r.at(AIMC_PLIC_PENDING).on_read = [this](unsigned) { return pending_; };
    r.at(AIMC_PLIC_ENABLE).on_write = [this](unsigned, uint32_t v) {
        regs().at(AIMC_PLIC_ENABLE).value[0] = v & ~1u;
        changed_.notify(sc_core::SC_ZERO_TIME);
    };
    r.at(AIMC_PLIC_THRESHOLD).on_write = [this](unsigned, uint32_t v) {
        regs().at(AIMC_PLIC_THRESHOLD).value[0] = v & 7;
        changed_.notify(sc_core::SC_ZERO_TIME);
    };
    r.at(AIMC_PLIC_CLAIM_COMPLETE).on_read = [this](unsigned) { return debug_access() ? 0u : claim(); };
    r.at(AIMC_PLIC_CLAIM_COMPLETE).on_write = [this](unsigned, uint32_t v) {
        if (!debug_access()) complete(v);
    };

    SC_HAS_PROCESS(Plic);
    SC_METHOD(sample_sources);
    for (auto& s : sources) sensitive << s;
    SC_METHOD(update_output);
    sensitive << changed_;
}

void Plic::sample_sources() {
    for (unsigned n = 1; n < kNumSources; ++n)
        if (sources[n].read() && !(claimed_ & (1u << n))) pending_ |= 1u << n;
    changed_.notify(sc_core::SC_ZERO_TIME);
}

void Plic::update_output() {
    auto& r = regs();
    const uint32_t enabled = pending_ & r.at(AIMC_PLIC_ENABLE).value[0];
    const uint32_t threshold = r.at(AIMC_PLIC_THRESHOLD).value[0];
    bool any = false;
    for (unsigned n = 1; n < kNumSources && !any; ++n)
        any = (enabled & (1u << n)) && r.at(AIMC_PLIC_PRIORITY).value[n] > threshold;
    meip.write(any);
}

uint32_t Plic::claim() {
    auto& r = regs();
    const uint32_t enabled = pending_ & r.at(AIMC_PLIC_ENABLE).value[0];
    uint32_t best = 0, best_priority = 0;
    for (unsigned n = 1; n < kNumSources; ++n) {
        const uint32_t p = r.at(AIMC_PLIC_PRIORITY).value[n];
        if ((enabled & (1u << n)) && p > best_priority) {  // ties go to the lowest source number
            best = n;
            best_priority = p;
        }
    }
    if (best) {
        pending_ &= ~(1u << best);
        claimed_ |= 1u << best;
        changed_.notify(sc_core::SC_ZERO_TIME);
    }
    return best;
}

void Plic::complete(uint32_t source) {
    if (source == 0 || source >= kNumSources || !(claimed_ & (1u << source))) {
        log::warn(name(), "completion of source {} which was not claimed: ignored", source);
        return;
    }
    claimed_ &= ~(1u << source);
    // A level source still high becomes pending again once its gateway reopens.
    if (sources[source].read()) pending_ |= 1u << source;
    changed_.notify(sc_core::SC_ZERO_TIME);
}

}  // namespace aimc::periph
