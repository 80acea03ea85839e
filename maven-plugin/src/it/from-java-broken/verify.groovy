// A map has no XDR equivalent: the build fails at the Java position, says the way out, and writes no .idl.
def log = new File(basedir, 'build.log').text
[
  "[ERROR] src/main/java-first/shop/Shop.java:7:3: error: cannot map `Map<String, Integer>` to XDR, which has no maps: use a List of a record with key and value components (result of `stock`)",
  "Onyx: Java that cannot be mapped to IDL, first src/main/java-first/shop/Shop.java:7:3:",
  "[INFO] BUILD FAILURE",
].each { expected -> assert log.contains(expected) : "missing from build.log: ${expected}\n${log}" }
assert !new File(basedir, 'target/generated-idl').exists()
return true
