// The Catch2 v2 main of the tooling tests.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
