// The kharuul executable: everything lives in the gateway library; main only hands over argv.
#include "gateway/cli.hpp"

#include <iostream>

int main(int argc, char** argv) { return kharuul::gateway::run_cli(argc, argv, std::cout, std::cerr); }
