# WASM targets (included from the top CMakeLists.txt under emcmake).
# Each is an ES module factory (MODULARIZE + EXPORT_ES6) that runs in a page, a worker and Node.
set(WASM_COMMON_FLAGS -O3 -msimd128 -fwasm-exceptions)
target_compile_options(charrnn_core PUBLIC ${WASM_COMMON_FLAGS})

set(WASM_LINK_FLAGS
  --bind -O3 -msimd128 -fwasm-exceptions
  -sMODULARIZE=1 -sEXPORT_ES6=1 -sENVIRONMENT=web,worker,node
  -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=4GB -sINITIAL_MEMORY=32MB
  -sFILESYSTEM=0 -sDYNAMIC_EXECUTION=0)

# analysis_bindings.cpp: the "why it works" figures (n-gram, gate saturation, reach) beside training.
add_executable(charrnn_training wasm_bindings/training_bindings.cpp wasm_bindings/analysis_bindings.cpp)
target_link_libraries(charrnn_training PRIVATE charrnn_core)
target_include_directories(charrnn_training PRIVATE wasm_bindings)
target_link_options(charrnn_training PRIVATE ${WASM_LINK_FLAGS} -sEXPORT_NAME=createTrainingModule)
set_target_properties(charrnn_training PROPERTIES SUFFIX ".mjs")

add_executable(charrnn_sampling wasm_bindings/sampling_module.cpp)
target_link_libraries(charrnn_sampling PRIVATE charrnn_core)
target_include_directories(charrnn_sampling PRIVATE wasm_bindings)
target_link_options(charrnn_sampling PRIVATE ${WASM_LINK_FLAGS} -sEXPORT_NAME=createSamplingModule)
set_target_properties(charrnn_sampling PROPERTIES SUFFIX ".mjs")

# The hand-written API sits beside the generated modules it imports: charrnn.js (the entry) and its
# modules, the helper workers of data-parallel training (shard_helpers.js starts
# shard_helper_worker.js), and worker_calls.js (calls to a worker that can die; the page's training
# worker imports it too).
foreach(file charrnn.js charrnn.d.ts loader.js wrappers.js arguments.js errors.js
        shard_helpers.js shard_helper_worker.js worker_calls.js)
  configure_file(${CMAKE_SOURCE_DIR}/wasm_bindings/${file} ${CMAKE_BINARY_DIR}/${file} COPYONLY)
endforeach()
