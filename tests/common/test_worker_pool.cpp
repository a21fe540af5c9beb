// The worker pool: jobs run and hand back their results and exceptions, first come first run, a pool of no
// threads runs each job at once, and destruction runs what is still queued.
#include "common/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>

using aimc::WorkerPool;

TEST(WorkerPool, ResultsAndExceptionsReachTheFutures) {
    WorkerPool pool(2);
    EXPECT_EQ(pool.threads(), 2u);
    std::vector<std::future<int>> results;
    for (int i = 0; i < 50; ++i) results.push_back(pool.submit([i] { return i * i; }));
    auto failing = pool.submit([]() -> int { throw std::runtime_error("model bug"); });
    for (int i = 0; i < 50; ++i) EXPECT_EQ(results[i].get(), i * i);
    EXPECT_THROW(failing.get(), std::runtime_error);
}

TEST(WorkerPool, OneThreadRunsJobsInTheOrderSubmitted) {
    WorkerPool pool(1);
    std::vector<int> order;
    std::vector<std::future<void>> done;
    for (int i = 0; i < 20; ++i) done.push_back(pool.submit([&order, i] { order.push_back(i); }));
    for (auto& d : done) d.get();
    ASSERT_EQ(order.size(), 20u);
    for (int i = 0; i < 20; ++i) EXPECT_EQ(order[i], i);
}

TEST(WorkerPool, NoThreadsRunsTheJobInTheCaller) {
    WorkerPool pool(0);
    const auto caller = std::this_thread::get_id();
    auto f = pool.submit([] { return std::this_thread::get_id(); });
    EXPECT_EQ(f.wait_for(std::chrono::seconds(0)), std::future_status::ready);
    EXPECT_EQ(f.get(), caller);
}

TEST(WorkerPool, DestructionRunsTheQueuedJobs) {
    std::atomic<int> ran{0};
    {
        WorkerPool pool(1);
        for (int i = 0; i < 10; ++i)
            (void)pool.submit([&ran] {
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
                ++ran;
            });
    }
    EXPECT_EQ(ran.load(), 10);
    EXPECT_GE(WorkerPool::hardware_threads(), 1u);
}
