// BM25 top-100 over pre-segmented text in Lucene Java 8 (Debian liblucene8-java): the same program as
// `Matching.Peers bm25` (Lucene.Net 4.8). Compiled and run by bm25.sh.
//
// usage: java -cp LUCENE_JARS:. Bm25Peer DUMP_DIR [--dir mmap|heap] [--collector default|exhaustive]
//                                         [--warmup 5] [--rounds 3] [--passes 5] [--run-out FILE]
//
// DUMP_DIR holds docs.tsv and queries.tsv (id TAB space-joined terms) written by `Matching.Peers bm25-dump`.
// Index: whitespace analyzer, BM25Similarity(k1 1.2, b 0.75), one segment. Queries: one SHOULD TermQuery
// per distinct term. --collector default is IndexSearcher.search(query, 100), which counts hits exactly
// only up to 1,000 and then skips non-competitive blocks (block-max WAND); exhaustive scores every
// matching document, as Lucene.Net 4.8 does. One search thread; each measured round runs every query
// --passes times (warm-up rounds once each).
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.io.PrintWriter;

import org.apache.lucene.analysis.core.WhitespaceAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopScoreDocCollector;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.util.Version;

public final class Bm25Peer {
    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) return args[i + 1];
        }
        return fallback;
    }

    private static List<String[]> readTsv(Path path) throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
            int tab = line.indexOf('\t');
            rows.add(new String[] {line.substring(0, tab), line.substring(tab + 1)});
        }
        return rows;
    }

    private static String json(double[] values) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) s.append(',');
            s.append(String.format(Locale.ROOT, "%.6f", values[i]));
        }
        return s.append(']').toString();
    }

    private static String loadAvg() throws IOException {
        String[] parts = Files.readString(Paths.get("/proc/loadavg")).split(" ");
        return parts[0] + " " + parts[1] + " " + parts[2];
    }

    public static void main(String[] args) throws Exception {
        Path dump = Paths.get(args[0]);
        String dirKind = option(args, "--dir", "mmap");
        String collector = option(args, "--collector", "default");
        int warmup = Integer.parseInt(option(args, "--warmup", "5"));
        int rounds = Integer.parseInt(option(args, "--rounds", "3"));
        int passes = Integer.parseInt(option(args, "--passes", "5"));
        String runOut = option(args, "--run-out", null);
        boolean exhaustive = collector.equals("exhaustive");

        List<String[]> docs = readTsv(dump.resolve("docs.tsv"));
        List<String[]> queryRows = readTsv(dump.resolve("queries.tsv"));
        BM25Similarity similarity = new BM25Similarity(1.2f, 0.75f);
        Path temp = null;
        Directory directory;
        if (dirKind.equals("heap")) {
            directory = new ByteBuffersDirectory();
        } else {
            temp = Files.createTempDirectory("matching-peers-lucene8-");
            directory = new MMapDirectory(temp);
        }

        long indexStart = System.nanoTime();
        IndexWriterConfig config = new IndexWriterConfig(new WhitespaceAnalyzer());
        config.setSimilarity(similarity);
        config.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
        config.setRAMBufferSizeMB(1024);
        config.setMaxBufferedDocs(IndexWriterConfig.DISABLE_AUTO_FLUSH);
        config.setMergePolicy(NoMergePolicy.INSTANCE);
        config.setUseCompoundFile(false);
        try (IndexWriter writer = new IndexWriter(directory, config)) {
            for (String[] doc : docs) {
                Document d = new Document();
                d.add(new StringField("id", doc[0], Field.Store.YES));
                d.add(new TextField("body", doc[1], Field.Store.NO));
                writer.addDocument(d);
            }
            writer.commit();
        }
        double indexSeconds = (System.nanoTime() - indexStart) / 1e9;

        try (DirectoryReader reader = DirectoryReader.open(directory)) {
            if (reader.leaves().size() != 1) throw new IllegalStateException("expected one segment, got " + reader.leaves().size());
            IndexSearcher searcher = new IndexSearcher(reader);
            searcher.setSimilarity(similarity);
            searcher.setQueryCache(null);
            String[] ids = new String[reader.maxDoc()];
            for (int doc = 0; doc < reader.maxDoc(); doc++) ids[doc] = reader.document(doc).get("id");

            List<String> qids = new ArrayList<>();
            List<Query> queries = new ArrayList<>();
            for (String[] row : queryRows) {
                LinkedHashSet<String> terms = new LinkedHashSet<>(Arrays.asList(row[1].split(" ")));
                terms.remove("");
                if (terms.isEmpty()) continue;
                BooleanQuery.Builder builder = new BooleanQuery.Builder();
                for (String term : terms) builder.add(new TermQuery(new Term("body", term)), BooleanClause.Occur.SHOULD);
                qids.add(row[0]);
                queries.add(builder.build());
            }

            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            double[] walls = new double[rounds];
            double[] cpus = new double[rounds];
            double[] threadCpus = new double[rounds];
            long sink = 0;
            for (int round = -warmup; round < rounds; round++) {
                long cpu = os.getProcessCpuTime();
                long threadCpu = threads.getCurrentThreadCpuTime();
                long wall = System.nanoTime();
                for (int p = 0; p < (round >= 0 ? passes : 1); p++) {
                    for (Query query : queries) sink += top(searcher, query, exhaustive).scoreDocs.length;
                }
                if (round >= 0) {
                    walls[round] = (System.nanoTime() - wall) / 1e9;
                    cpus[round] = (os.getProcessCpuTime() - cpu) / 1e9;
                    threadCpus[round] = (threads.getCurrentThreadCpuTime() - threadCpu) / 1e9;
                }
            }
            if (sink < 0) System.err.println(sink);

            if (runOut != null) {
                try (PrintWriter run = new PrintWriter(Files.newBufferedWriter(Paths.get(runOut), StandardCharsets.UTF_8))) {
                    for (int q = 0; q < queries.size(); q++) {
                        ScoreDoc[] top = top(searcher, queries.get(q), exhaustive).scoreDocs;
                        for (int rank = 0; rank < top.length; rank++) {
                            run.print(qids.get(q) + " Q0 " + ids[top[rank].doc] + " " + (rank + 1) + " " + top[rank].score + " lucene8-" + collector + "\n");
                        }
                    }
                }
            }

            System.out.println("{\"kind\":\"bm25\",\"peer\":\"Lucene Java " + Version.LATEST + " (Debian liblucene8-java), BM25Similarity, "
                + (exhaustive ? "exhaustive collector" : "search(q, 100) (block-max WAND past 1,000 hits)") + ", " + dirKind
                + ", Java " + System.getProperty("java.version") + "\",\"key\":\"lucene8." + collector + "." + dirKind
                + "\",\"queries\":" + queries.size() * passes + ",\"distinct_queries\":" + queries.size() + ",\"docs\":" + docs.size()
                + ",\"index_s\":" + String.format(Locale.ROOT, "%.3f", indexSeconds)
                + ",\"wall_s\":" + json(walls) + ",\"cpu_s\":" + json(cpus) + ",\"thread_cpu_s\":" + json(threadCpus) + ",\"load_avg\":\"" + loadAvg() + "\"}");
        } finally {
            directory.close();
            if (temp != null) {
                try (var files = Files.walk(temp)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private static TopDocs top(IndexSearcher searcher, Query query, boolean exhaustive) throws IOException {
        if (!exhaustive) return searcher.search(query, 100);
        TopScoreDocCollector collector = TopScoreDocCollector.create(100, Integer.MAX_VALUE);
        searcher.search(query, collector);
        return collector.topDocs();
    }
}
