// The client module generates its own service, and leaves the api's types to the api module.
def generated = new File(basedir, 'client/target/generated-sources/onyx/com/example')
assert new File(generated, 'draw/CanvasV1.java').isFile() : 'the client module did not generate its own service'
assert !new File(generated, 'shapes').exists() : "the client module generated the api's types again: ${new File(generated, 'shapes').list()}"
assert new File(basedir, 'client/target/classes/com/example/draw/Plotter.class').isFile()
def log = new File(basedir, 'build.log').text
def expected = 'Not generating 2 Java files whose class a dependency already holds: com.example.shapes.Point (api/target/classes), com.example.shapes.ShapesV1 (api/target/classes)'
assert log.contains(expected) : "missing from build.log: ${expected}\n${log}"
return true
