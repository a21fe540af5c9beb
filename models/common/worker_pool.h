// Host threads that run blocks' numeric kernels (a tile's weight programming) beside the SystemC kernel.
//
// A job must touch only state of the block that submitted it, and the block must take the job's result at
// a simulated time fixed before the job ran (see Tile::exec_program): then what a run computes and when it
// happens in simulated time do not depend on the number of threads or on their speed, only the wall time
// does. With no threads a job runs at once in the submitting thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace aimc {

class WorkerPool {
public:
    // threads = 0: no threads, every job runs in submit(). Throws std::runtime_error when the host
    // refuses a thread.
    explicit WorkerPool(unsigned threads);
    // Runs the jobs still queued, then joins.
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    unsigned threads() const { return unsigned(threads_.size()); }
    // The hardware threads this process may run on (its CPU affinity; at least 1).
    static unsigned hardware_threads();

    // Queues f (first come, first run); the future carries its result or its exception.
    template <class F>
    std::future<std::invoke_result_t<F>> submit(F&& f) {
        using R = std::invoke_result_t<F>;
        auto task = std::make_shared<std::packaged_task<R()>>(std::forward<F>(f));
        std::future<R> result = task->get_future();
        if (threads_.empty()) {
            (*task)();
            return result;
        }
        {
            std::lock_guard<std::mutex> lock(mutex_);
            queue_.emplace_back([task] { (*task)(); });
        }
        wake_.notify_one();
        return result;
    }

private:
    void work();
    void stop();  // runs what is queued, joins the threads

    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> queue_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace aimc
