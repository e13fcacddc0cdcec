package io.imagescaler.handler.transform;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.REDUCE_SUM;
import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_core.reduce;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGRA2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.Laplacian;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * "Smart" crop: the window with the most edge energy (absolute Laplacian of the grey image), which
 * lands on the subject in most photos and product shots. The window only slides along the axis the
 * crop shortens, so summing rows or columns is enough.
 */
final class Attention {

    private Attention() {
    }

    /** The top-left corner {x, y} of the {@code cw x ch} window with the most detail. */
    static int[] bestWindow(Mat bgr, int cw, int ch) {
        Mat gray = new Mat();
        cvtColor(bgr, gray, bgr.channels() == 4 ? COLOR_BGRA2GRAY : COLOR_BGR2GRAY);
        Mat edges = new Mat();
        Laplacian(gray, edges, CV_32F);
        Mat energy = new Mat();
        absdiff(edges, new Mat(edges.size(), CV_32F, org.bytedeco.opencv.opencv_core.Scalar.all(0)), energy);
        int x = 0;
        int y = 0;
        if (cw < bgr.cols()) {
            Mat columns = new Mat();
            reduce(energy, columns, 0, REDUCE_SUM, CV_32F);
            x = bestStart(columns, bgr.cols(), cw);
        }
        if (ch < bgr.rows()) {
            Mat rows = new Mat();
            reduce(energy, rows, 1, REDUCE_SUM, CV_32F);
            y = bestStart(rows, bgr.rows(), ch);
        }
        return new int[] {x, y};
    }

    private static int bestStart(Mat sums, int length, int window) {
        double[] prefix = new double[length + 1];
        try (FloatIndexer idx = sums.createIndexer()) {
            boolean row = sums.rows() == 1;
            for (int i = 0; i < length; i++) {
                prefix[i + 1] = prefix[i] + (row ? idx.get(0, i) : idx.get(i, 0));
            }
        }
        int best = (length - window) / 2;
        double bestSum = prefix[best + window] - prefix[best];
        for (int s = 0; s + window <= length; s++) {
            double sum = prefix[s + window] - prefix[s];
            if (sum > bestSum) {
                bestSum = sum;
                best = s;
            }
        }
        return best;
    }
}
