# Golden vectors (tools/vectors, bitexact gen / verify / merge / calc --bulk): the library's unit
# suite and the CLI suites, which run the bitexact binary (BITEXACT_BIN) on the TestFloat fixtures.
function(bitexact_vectors_cli_test name)
  bitexact_test(${name} cli ${ARGN})
  target_compile_definitions(${name} PRIVATE BITEXACT_BIN="$<TARGET_FILE:bitexact>"
    FIXTURES_DIR="${CMAKE_CURRENT_SOURCE_DIR}/tools/fixtures")
  target_link_libraries(${name} PRIVATE nlohmann_json::nlohmann_json OpenSSL::Crypto)
  add_dependencies(${name} bitexact)
endfunction()

bitexact_test(tools_vectors unit tools/test_vectors.cpp)
target_link_libraries(tools_vectors PRIVATE bitexact_vectors)
bitexact_vectors_cli_test(tools_cli_gen tools/test_cli_gen.cpp)
bitexact_vectors_cli_test(tools_cli_verify tools/test_cli_verify.cpp)
bitexact_vectors_cli_test(tools_cli_merge tools/test_cli_merge.cpp)
bitexact_vectors_cli_test(tools_cli_dot tools/test_cli_dot.cpp)
