package com.example.draw;

import com.example.shapes.Point;
import com.example.shapes.ShapesV1;

/** Uses the api module's classes and its own, which share Point. */
public final class Plotter implements CanvasV1.Canvas {
  private Point last;

  @Override
  public void plot(Point p) {
    last = p;
  }

  /** The api's client type, to show both modules' classes compile together. */
  public Class<?> shapes() {
    return ShapesV1.Shapes.class;
  }
}
