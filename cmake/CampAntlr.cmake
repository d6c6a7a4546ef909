# Generates the ANTLR4 C++ parser from grammar/Camp.g4 into the build tree (never committed).
find_program(ANTLR4_TOOL antlr4 REQUIRED)

set(CAMP_ANTLR_OUT ${CMAKE_BINARY_DIR}/generated/antlr)
set(CAMP_ANTLR_SOURCES ${CAMP_ANTLR_OUT}/CampLexer.cpp ${CAMP_ANTLR_OUT}/CampParser.cpp)
set(CAMP_ANTLR_HEADERS ${CAMP_ANTLR_OUT}/CampLexer.h ${CAMP_ANTLR_OUT}/CampParser.h)

add_custom_command(
  OUTPUT ${CAMP_ANTLR_SOURCES} ${CAMP_ANTLR_HEADERS}
  COMMAND ${ANTLR4_TOOL} -Dlanguage=Cpp -no-listener -no-visitor -package camp_antlr
          -o ${CAMP_ANTLR_OUT} -Xexact-output-dir ${CMAKE_SOURCE_DIR}/grammar/Camp.g4
  MAIN_DEPENDENCY ${CMAKE_SOURCE_DIR}/grammar/Camp.g4
  COMMENT "Generating the Camp parser with ANTLR4"
  VERBATIM)

# The generated code is compiled as its own library: the antlr4 tool (4.7.2) writes u8"…"
# literals that are char8_t in C++20, so it is built with -fno-char8_t, and the runtime's
# headers are system headers so their warnings never hide ours.
add_library(camp_antlr_generated STATIC ${CAMP_ANTLR_SOURCES})
target_include_directories(camp_antlr_generated SYSTEM PUBLIC ${CAMP_ANTLR_OUT} ${ANTLR4_INCLUDE_DIR})
target_compile_options(camp_antlr_generated PRIVATE -fno-char8_t -w)
target_link_libraries(camp_antlr_generated PUBLIC ${CAMP_ANTLR_RUNTIME})
set_target_properties(camp_antlr_generated PROPERTIES POSITION_INDEPENDENT_CODE ON)
