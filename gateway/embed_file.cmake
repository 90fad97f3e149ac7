# Writes a C++ source that holds a file's bytes, so that the binary serves it without reading
# anything at run time:
#   cmake -DINPUT=api/openapi.json -DOUTPUT=openapi_embedded.cpp -DSYMBOL=openapi_json -P embed_file.cmake
# defines, in namespace kharuul::gateway::embedded,
#   extern const unsigned char SYMBOL[];  extern const std::size_t SYMBOL_size;
# (the bytes and their count; a NUL follows them, not counted). Run at build time by
# gateway/CMakeLists.txt whenever the input changes.
foreach(v INPUT OUTPUT SYMBOL)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "embed_file.cmake: -D${v}=... is missing")
  endif()
endforeach()
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){24})" "\\1\n" bytes "${bytes}")
file(WRITE "${OUTPUT}.tmp"
  "// Generated from ${INPUT} by gateway/embed_file.cmake: do not edit.\n"
  "#include <cstddef>\n\n"
  "namespace kharuul::gateway::embedded {\n"
  "extern const unsigned char ${SYMBOL}[];\n"
  "extern const std::size_t ${SYMBOL}_size;\n"
  "const unsigned char ${SYMBOL}[] = {\n${bytes}0x00};\n"
  "const std::size_t ${SYMBOL}_size = ${size};\n"
  "} // namespace kharuul::gateway::embedded\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
