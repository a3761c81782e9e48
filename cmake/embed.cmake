# Embeds text files (SQL migrations, init data) into the binary, so that `slate` carries its
# schema with it and needs no install tree.
#   slate_embed(TARGET target NAME symbol FILES a.sql b.sql)
# generates a source defining
#   const std::vector<std::pair<std::string_view, std::string_view>>& symbol();
# listing (file name, contents) in the order given.
function(slate_embed)
  cmake_parse_arguments(E "" "TARGET;NAME" "FILES" ${ARGN})
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${E_NAME}.cpp")
  # A ';' would end the shell command: the file list travels comma-separated.
  string(REPLACE ";" "," files_arg "${E_FILES}")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DNAME=${E_NAME} "-DFILES=${files_arg}"
            -P "${CMAKE_SOURCE_DIR}/cmake/embed_run.cmake"
    DEPENDS ${E_FILES} "${CMAKE_SOURCE_DIR}/cmake/embed_run.cmake"
    COMMENT "Embedding ${E_NAME}"
    VERBATIM)
  target_sources(${E_TARGET} PRIVATE "${out}")
endfunction()
