# The distributed herder's balanced sticky assignor (a pure function) and its record codec.
kanal_add_test(assignment_test LABEL unit
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/assignment_test.cc
  LIBRARIES kanal::worker_herder)
