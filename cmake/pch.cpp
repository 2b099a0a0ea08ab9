// Translation unit that carries the shared precompiled header (see E3Target.cmake).
