// The incident-response subcommands about keys and data at rest:
//   medvault keys status|rotate|retire|rotate-index|rotate-signing
//   medvault erase --patient ID
//   medvault selfcheck
// registered on the application before parsing, run after it.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>

namespace medvault::cli {

struct KeyCommands;

// Adds the subcommands to `app`; the returned object holds their options.
std::shared_ptr<KeyCommands> AddKeyCommands(CLI::App& app);

// Runs the one that was chosen and returns its exit code; nullopt when none was.
std::optional<int> RunKeyCommands(const KeyCommands& commands);

}  // namespace medvault::cli
