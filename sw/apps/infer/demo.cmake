# The default job (`bash .ci/build demo`, target `demo`): compile a trained Fashion-MNIST network for
# hermes64, convert test images into an input batch, and classify them with sw/apps/infer on the
# platform, which prints the report. Included by sw/CMakeLists.txt in the top-level build.
#   AIMC_DEMO_ONNX    the network (default: sw/nets/fmnist-cnn.onnx; its <name>.json normalization beside it)
#   AIMC_DEMO_IMAGES  how many Fashion-MNIST test images (default 1000)
# Without the network file the target is not made and configure says so.
set(AIMC_DEMO_ONNX "${PROJECT_SOURCE_DIR}/sw/nets/fmnist-cnn.onnx" CACHE FILEPATH "ONNX network of the demo job")
set(AIMC_DEMO_IMAGES 1000 CACHE STRING "Fashion-MNIST test images the demo job classifies")
set(AIMC_DEMO_PLATFORM hermes64 CACHE STRING "Platform preset of the demo job")

if(NOT EXISTS "${AIMC_DEMO_ONNX}")
  message(STATUS "demo: ${AIMC_DEMO_ONNX} not found: no `demo` target (set AIMC_DEMO_ONNX to a network)")
  set(AIMC_DEMO_READY 0 CACHE INTERNAL "")
  return()
endif()
if(NOT TARGET aimc-compile OR NOT TARGET aimc-vp)
  message(STATUS "demo: needs aimc-compile and aimc-vp from the top-level build: no `demo` target")
  set(AIMC_DEMO_READY 0 CACHE INTERNAL "")
  return()
endif()
message(STATUS "demo: ${AIMC_DEMO_ONNX} on ${AIMC_DEMO_PLATFORM}, ${AIMC_DEMO_IMAGES} test images")
set(AIMC_DEMO_READY 1 CACHE INTERNAL "")

set(_demo_dir ${CMAKE_BINARY_DIR}/demo)
add_custom_target(demo
  COMMAND ${CMAKE_COMMAND} -E make_directory ${_demo_dir}
  COMMAND $<TARGET_FILE:aimc-compile> ${AIMC_DEMO_ONNX} --platform ${AIMC_DEMO_PLATFORM} -o ${_demo_dir}/model.aimg
          --quiet
  COMMAND $<TARGET_FILE:aimc-dataset> ${_demo_dir}/model.aimg -n ${AIMC_DEMO_IMAGES} -o ${_demo_dir}/batch.bin
  COMMAND $<TARGET_FILE:aimc-vp> --platform ${AIMC_DEMO_PLATFORM} --firmware ${AIMC_SW_DIR}/infer.elf
          --load ${_demo_dir}/model.aimg@0x80400000 --load ${_demo_dir}/batch.bin@0x80800000
          --stats ${_demo_dir}/stats.json
  DEPENDS aimc-compile aimc-dataset aimc-vp firmware
  WORKING_DIRECTORY ${CMAKE_BINARY_DIR}
  USES_TERMINAL
  COMMENT "demo: ${AIMC_DEMO_ONNX} on ${AIMC_DEMO_PLATFORM}, ${AIMC_DEMO_IMAGES} Fashion-MNIST test images")
