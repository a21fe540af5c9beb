#include "common/worker_pool.h"

#include <pthread.h>
#include <sched.h>

#include <stdexcept>
#include <string>
#include <system_error>
#include <signal.h>

namespace aimc {

WorkerPool::WorkerPool(unsigned threads) {
    // The workers start with the asynchronous signals blocked (a thread inherits its creator's mask):
    // Ctrl-C and the like go to the threads that handle them, never to a worker, whose default action
    // would end the run. Faults (SIGSEGV, SIGFPE, ...) stay with the thread that raises them.
    sigset_t async, before;
    sigemptyset(&async);
    for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM, SIGCHLD})
        sigaddset(&async, s);
    pthread_sigmask(SIG_BLOCK, &async, &before);
    threads_.reserve(threads);
    try {
        for (unsigned i = 0; i < threads; ++i) threads_.emplace_back([this] { work(); });
    } catch (const std::system_error& e) {
        pthread_sigmask(SIG_SETMASK, &before, nullptr);
        stop();
        throw std::runtime_error("cannot start host thread " + std::to_string(threads_.size() + 1) + " of " +
                                 std::to_string(threads) + " (" + e.what() + "); use fewer with --set sim.threads=N");
    }
    pthread_sigmask(SIG_SETMASK, &before, nullptr);
}

WorkerPool::~WorkerPool() { stop(); }

void WorkerPool::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (std::thread& t : threads_)
        if (t.joinable()) t.join();
}

unsigned WorkerPool::hardware_threads() {
    // The CPUs this process may run on (taskset, a Slurm task's cpuset), not all the host has.
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) return unsigned(CPU_COUNT(&set));
    const unsigned n = std::thread::hardware_concurrency();
    return n > 0 ? n : 1;
}

void WorkerPool::work() {
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;  // stopping, nothing left
            job = std::move(queue_.front());
            queue_.pop_front();
        }
        job();  // a packaged_task: an exception goes to its future
    }
}

}  // namespace aimc
