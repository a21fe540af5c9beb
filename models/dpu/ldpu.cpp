#include "dpu/ldpu.h"

#include <cmath>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace aimc::dpu {

namespace {

LdpuParams checked(LdpuParams p) {
    check_ranges(p, "ldpu.");
    return p;
}

}  // namespace

Ldpu::Ldpu(const LdpuParams& params) : params_(checked(params)), lut_(params_.tanh_lut) {}

std::vector<VectorShape> Ldpu::validate(const LdpuChain& chain, size_t n) const {
    if (n == 0) throw std::invalid_argument("LDPU chain: the input vector is empty");
    if (n > params_.max_columns)
        throw std::invalid_argument("LDPU chain: the input has " + std::to_string(n) + " columns, more than max_columns = " +
                                    std::to_string(params_.max_columns));
    std::vector<VectorShape> shapes{{DataFormat::integer(32), n}};
    shapes.reserve(chain.size() + 1);
    for (size_t i = 0; i < chain.size(); ++i) shapes.push_back(check_op(chain[i], i, shapes.back()));
    return shapes;
}

LdpuResult Ldpu::run_chain(const LdpuChain& chain, Eigen::Ref<const Eigen::VectorXi> input,
                           const std::vector<Eigen::VectorXi>& operands) const {
    const auto shapes = validate(chain, size_t(input.size()));
    LdpuResult r;
    r.output.format = shapes.front().format;
    r.output.values = input.cast<double>();
    r.stats.per_op.resize(chain.size());
    for (size_t i = 0; i < chain.size(); ++i) {
        run_op(chain[i], OpContext{i, &lut_, &operands}, r.output, r.stats.per_op[i]);
        r.stats.total += r.stats.per_op[i];
    }
    return r;
}

LdpuCost Ldpu::cost(const LdpuChain& chain, size_t n) const {
    const auto shapes = validate(chain, n);
    std::vector<OpWork> work;
    work.reserve(chain.size());
    for (size_t i = 0; i < chain.size(); ++i)
        work.push_back(op_work(chain[i], shapes[i], shapes[i + 1], lut_.bits_per_lookup()));
    return price_chain(params_.cost, work);
}

}  // namespace aimc::dpu
