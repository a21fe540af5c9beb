// An output file of a run (--stats, --trace-instructions): opened at start-up, so a bad path fails
// before the run; every write checked; a regular file is written under `<path>.tmp` and renamed to
// `<path>` only when complete, so a file that exists is never a truncated one. A path that is not a
// regular file (/dev/stdout, a pipe) is written in place.
#pragma once

#include <cstdio>
#include <stdexcept>
#include <string>

namespace aimc::platform {

// Opening, writing or renaming an output failed; the message names the option and the file.
class OutputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class OutputFile {
public:
    // `option`: how the user named it ("--stats"), for messages. Throws OutputError.
    OutputFile(std::string option, std::string path);
    ~OutputFile();  // without commit(): removes the temporary file
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;

    std::FILE* stream() { return file_; }
    void write(const std::string& text);
    // Flushes, checks every write made so far, closes and renames into place. Throws OutputError.
    void commit();

private:
    [[noreturn]] void fail(const char* what, const std::string& file, int err);

    std::string option_, path_, writing_;  // writing_: the temporary name, or path_ itself
    std::FILE* file_ = nullptr;
};

}  // namespace aimc::platform
