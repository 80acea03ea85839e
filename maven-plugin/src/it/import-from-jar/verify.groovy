import java.util.zip.ZipFile

// The api's jar carries its .idl by its path under src/main/idl.
def jar = new ZipFile(new File(basedir, 'api/target/shapes-api-1.0.jar'))
try {
  assert jar.getEntry('META-INF/onyx/idl/com/example/shapes/shapes.idl') != null : "the api's jar has no .idl: ${jar.entries().collect { it.name }}"
} finally {
  jar.close()
}
// The client, built alone, imported it from the jar, generated its own service and left the api's types to the jar.
def generated = new File(basedir, 'client/target/generated-sources/onyx/com/example')
assert new File(generated, 'draw/CanvasV1.java').isFile() : 'the client did not generate its own service'
assert !new File(generated, 'shapes').exists() : "the client generated the api's types again: ${new File(generated, 'shapes').list()}"
assert new File(basedir, 'client/target/classes/com/example/draw/Plotter.class').isFile()
def log = new File(basedir, 'build.log').text
def expected = 'Not generating 2 Java files whose class a dependency already holds: com.example.shapes.Point (shapes-api-1.0.jar), com.example.shapes.ShapesV1 (shapes-api-1.0.jar)'
assert log.contains(expected) : "missing from build.log: ${expected}\n${log}"
return true
